# torch.nn: the module classes, Parameter, functional and init.
from torch.nn.parameter import Parameter
from torch.nn import functional
from torch.nn import init
from torch.nn.modules.module import Module
from torch.nn.modules.container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
from torch.nn.modules.linear import Identity, Linear
from torch.nn.modules.activation import ReLU, Sigmoid, SiLU, Tanh, Softmax, LogSoftmax
from torch.nn.modules.flatten import Flatten, Unflatten
from torch.nn.modules.conv import Conv2d
from torch.nn.modules.pooling import MaxPool2d
from torch.nn.modules.rnn import RNNBase, RNN, RNNCell
from torch.nn.modules.sparse import Embedding
from torch.nn.modules.normalization import LayerNorm
from torch.nn.modules.batchnorm import BatchNorm1d, BatchNorm2d
from torch.nn.modules.dropout import Dropout
from torch.nn.modules.loss import (
    L1Loss, MSELoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, SmoothL1Loss, HuberLoss,
)
